/**
 * The {@code openai} reasoner backend: a frozen MLLM behind any OpenAI-compatible Chat Completions
 * server (vLLM, Ollama, llama.cpp's server, TGI, LM Studio, DJL Serving LMI, {@code ops/llavaseg
 * serve}). No DJL and no model weights here: the server holds the model.
 */
package io.llavaseg.model.openai;

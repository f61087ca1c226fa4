package io.llavaseg.ops;

import io.llavaseg.model.reasoner.Vocabulary;
import io.llavaseg.model.reasoner.WordBackoff;
import io.llavaseg.training.backoff.BackoffBuilder;
import io.llavaseg.training.backoff.WordNet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ops/llavaseg backoff --model DIR}: writes a reasoner folder's {@code backoff.tsv} from a
 * WordNet 3.0 database, so that English words its vocabulary lacks read as synonyms it holds.
 */
@Command(
    name = "backoff",
    mixinStandardHelpOptions = true,
    description = {
      "Write a reasoner folder's backoff.tsv (unknown English words read as vocabulary synonyms) from WordNet.",
      "WordNet: Debian's wordnet-base package (apt-get install wordnet-base), /usr/share/wordnet."
    })
public final class BackoffCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Reasoner folder holding vocab.txt, e.g. model-store/reasoner/v11.")
  Path model;

  @Option(names = "--wordnet", defaultValue = "/usr/share/wordnet", description = "WordNet 3.0 database folder (default: ${DEFAULT-VALUE}).")
  Path wordnet;

  @Override
  public Integer call() throws Exception {
    if (!Files.exists(wordnet.resolve("index.adj"))) {
      System.err.println("no WordNet database in " + wordnet + ": apt-get install wordnet-base");
      return 2;
    }
    Vocabulary vocab = Vocabulary.load(model.resolve("vocab.txt"));
    Path out = model.resolve(WordBackoff.FILE);
    try (WordNet wn = WordNet.open(wordnet)) {
      int rows = new BackoffBuilder(wn, vocab.tokens()).write(out, "vocabulary of " + vocab.size() + " tokens");
      System.out.printf("%s: %d rows for %d tokens%n", out, rows, vocab.size());
    }
    return 0;
  }
}

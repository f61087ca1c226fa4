/**
 * {@code ops/llavaseg feed}: simulated cameras with standing questions, publishing frames and
 * reading back answers, masks and skipped frames into a summary and {@code index.html}. No
 * command-line parsing here.
 */
package io.llavaseg.ops.feed;

/**
 * The {@code ops/llavaseg} command line: {@link io.llavaseg.ops.Main} and one picocli command
 * class per subcommand, each parsing its options and handing over to the code that does the work
 * (the sub-packages, the topology, the trainers). Options shared by several commands are in {@code
 * io.llavaseg.ops.cli}.
 */
package io.llavaseg.ops;

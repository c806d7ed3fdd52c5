/**
 * The {@code modelcache} command line: run a data node, put/get/ls/stat/rm models, show the cluster, and
 * the demo. Each command is a picocli class; {@link io.modelcache.app.ModelCacheCommand} is the entry point.
 *
 * <p>Threading: commands run on the main thread and wait for the cluster's answers.
 */
package io.modelcache.app;

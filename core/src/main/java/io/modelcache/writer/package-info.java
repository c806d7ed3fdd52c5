/**
 * The writer: stores a model. {@link io.modelcache.writer.ModelPlan} reads and validates the files and plans
 * chunks; {@link io.modelcache.writer.ModelWriter} runs one put job per request, sends chunks to partition
 * entities with a bounded number in flight and publishes the manifest; it also removes models.
 *
 * <p>Threading: planning reads files on Pekko's blocking dispatcher; the rest runs in actors.
 */
package io.modelcache.writer;

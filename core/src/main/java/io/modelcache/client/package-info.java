/**
 * The API inference services and the command line use: {@link io.modelcache.client.ModelCacheClient} joins
 * the cluster as a {@code client} member and offers {@code CompletionStage} methods built on ask.
 *
 * <p>Threading: a client is thread-safe; its stages complete on Pekko's threads.
 */
package io.modelcache.client;

/**
 * Spans and W3C trace context for the adapters that carry a trace on (messaging, execution, identity): one
 * {@link org.acslifecycle.tracing.Tracing} made by the composition root, the core's
 * {@link org.acslifecycle.core.TraceContext} as the text that crosses every boundary (message, journal row, outcome
 * event). Knows the core only.
 */
package org.acslifecycle.tracing;

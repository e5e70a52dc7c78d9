/**
 * An embedded Azure Service Bus emulator: AMQP 1.0 on 127.0.0.1 for the official SDKs, which connect unchanged
 * with {@code Endpoint=sb://127.0.0.1:PORT;SharedAccessKeyName=...;SharedAccessKey=...;UseDevelopmentEmulator=true;}.
 *
 * <p>Layers, outside in:
 * <ul>
 *   <li>{@code amqp}: sockets (Vert.x, one event loop), frames and links (proton-j engine), SASL, CBS with SAS
 *       verification, the {@code $management} node, the transaction coordinator, message encoding;</li>
 *   <li>{@code broker}: entities and their semantics (sequence numbers, locks, sessions, deferral, scheduling,
 *       TTL, duplicate detection, dead-lettering, forwarding, subscription rules, transactions), driven only by
 *       the {@link org.acslifecycle.emulators.servicebus.broker.Consumer} seam and plain method calls;</li>
 *   <li>{@code topology}: the official emulator's {@code Config.json}, read with Jackson into records.</li>
 * </ul>
 * Everything broker-side runs on one thread, so the broker has no locks; other threads go through
 * {@link org.acslifecycle.emulators.servicebus.ServiceBusEmulator}, which hops onto that thread.
 *
 * <p>Not modelled: persistence across restarts, SQL filters other than {@code 1=1}/{@code 1=0}, rule actions,
 * partitioned entities, the HTTP administration API, AMQP over WebSockets, TLS, quotas (entity size, connection
 * count), {@code $Transfer} dead-letter queues, Entra ID (JWT) tokens.
 */
package org.acslifecycle.emulators.servicebus;

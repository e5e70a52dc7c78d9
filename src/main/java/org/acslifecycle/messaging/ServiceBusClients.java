package org.acslifecycle.messaging;

import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;

/** The one place that makes Service Bus client builders from the settings. */
public final class ServiceBusClients {

    private ServiceBusClients() {}

    public static ServiceBusClientBuilder builder(ServiceBusSettings settings) {
        ServiceBusClientBuilder builder = new ServiceBusClientBuilder()
                .retryOptions(new AmqpRetryOptions().setTryTimeout(settings.tryTimeout()));
        if (settings.connectionString().isPresent()) {
            return builder.connectionString(settings.connectionString().get());
        }
        return builder.credential(settings.fullyQualifiedNamespace().orElseThrow(),
                new DefaultAzureCredentialBuilder().build());
    }
}

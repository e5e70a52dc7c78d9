package org.acslifecycle.messaging;

import com.azure.core.amqp.AmqpRetryOptions;
import com.azure.core.credential.TokenCredential;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.messaging.servicebus.ServiceBusClientBuilder;
import java.util.function.Supplier;

/** The one place that makes Service Bus client builders from the settings. */
public final class ServiceBusClients {

    private ServiceBusClients() {}

    /** With a namespace (no connection string), Entra ID through {@code DefaultAzureCredential}. */
    public static ServiceBusClientBuilder builder(ServiceBusSettings settings) {
        return builder(settings, () -> new DefaultAzureCredentialBuilder().build());
    }

    /** With a namespace (no connection string), Entra ID through {@code entraCredential}. */
    public static ServiceBusClientBuilder builder(ServiceBusSettings settings, Supplier<TokenCredential> entraCredential) {
        ServiceBusClientBuilder builder = new ServiceBusClientBuilder()
                .retryOptions(new AmqpRetryOptions().setTryTimeout(settings.tryTimeout()));
        if (settings.connectionString().isPresent()) {
            return builder.connectionString(settings.connectionString().get());
        }
        return builder.credential(settings.fullyQualifiedNamespace().orElseThrow(), entraCredential.get());
    }
}

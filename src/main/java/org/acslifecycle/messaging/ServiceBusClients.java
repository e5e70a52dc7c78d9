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
        String namespace = settings.fullyQualifiedNamespace().orElseThrow();
        if (settings.developmentEmulator()) {
            // The SDK speaks plain AMQP (no TLS) only for a connection string with UseDevelopmentEmulator=true, and
            // it parses none without a key; the credential set after it replaces the placeholder key's, so no key
            // is ever sent: CBS gets the Entra ID token (type jwt), as with a real namespace.
            return builder.connectionString("Endpoint=sb://" + namespace
                            + ";SharedAccessKeyName=none;SharedAccessKey=none;UseDevelopmentEmulator=true")
                    .credential(entraCredential.get());
        }
        return builder.credential(namespace, entraCredential.get());
    }
}

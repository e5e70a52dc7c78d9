package org.acslifecycle.ledger;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import org.acslifecycle.core.port.Ledger;
import org.acslifecycle.core.port.PersonUnitOfWork;

/** A ledger whose next commit dies as a process would: nothing of the unit is committed. */
final class CrashOnCommit {

    static final class Crash extends RuntimeException {
        Crash() {
            super("simulated crash before commit");
        }
    }

    private CrashOnCommit() {}

    static Ledger around(Ledger real) {
        AtomicBoolean armed = new AtomicBoolean(true);
        return (Ledger) Proxy.newProxyInstance(Ledger.class.getClassLoader(), new Class<?>[] {Ledger.class},
                (proxy, method, args) -> {
                    Object result = invoke(real, method, args);
                    return method.getName().equals("open") ? crashingOnCommit((PersonUnitOfWork) result, armed) : result;
                });
    }

    private static PersonUnitOfWork crashingOnCommit(PersonUnitOfWork work, AtomicBoolean armed) {
        return (PersonUnitOfWork) Proxy.newProxyInstance(PersonUnitOfWork.class.getClassLoader(),
                new Class<?>[] {PersonUnitOfWork.class}, (proxy, method, args) -> {
                    if (method.getName().equals("commit") && armed.getAndSet(false)) {
                        throw new Crash();
                    }
                    return invoke(work, method, args);
                });
    }

    private static Object invoke(Object target, java.lang.reflect.Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }
}

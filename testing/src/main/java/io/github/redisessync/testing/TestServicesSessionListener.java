package io.github.redisessync.testing;

import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Stops the test servers when the JUnit Platform session ends, passed or failed. Registered in
 * {@code META-INF/services}, so every module whose tests depend on this one gets it.
 */
public class TestServicesSessionListener implements LauncherSessionListener {

    @Override
    public void launcherSessionClosed(LauncherSession session) {
        TestServices.stopAll();
    }
}

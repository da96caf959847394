package dev.stratus.loadgen;
import org.junit.jupiter.api.Test;
class SmokeTest { @Test void ok() {} }

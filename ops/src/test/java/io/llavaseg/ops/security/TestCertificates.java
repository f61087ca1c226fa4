package io.llavaseg.ops.security;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Key material for loopback TLS, made with the JDK's own keytool: a self-signed EC key pair whose
 * certificate names 127.0.0.1 (so host-name verification stays on) in a PKCS12 key store, and a
 * PKCS12 trust store holding that certificate.
 */
final class TestCertificates {
  private TestCertificates() {}

  record Stores(Path keystore, Path truststore, String password) {}

  static Stores selfSigned(Path dir, String name, String password) throws IOException, InterruptedException {
    Path keystore = dir.resolve(name + ".p12");
    Path truststore = dir.resolve(name + "-trust.p12");
    Path cert = dir.resolve(name + ".crt");
    keytool("-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1",
        "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-validity", "2",
        "-keystore", keystore.toString(), "-storetype", "PKCS12", "-storepass", password);
    keytool("-exportcert", "-alias", name, "-keystore", keystore.toString(), "-storepass", password,
        "-file", cert.toString());
    keytool("-importcert", "-noprompt", "-alias", name, "-file", cert.toString(),
        "-keystore", truststore.toString(), "-storetype", "PKCS12", "-storepass", password);
    return new Stores(keystore, truststore, password);
  }

  private static void keytool(String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IOException("keytool " + String.join(" ", args) + " failed:\n" + out);
    }
  }
}

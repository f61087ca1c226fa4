package io.llavaseg.registry;

import io.quarkus.vertx.http.runtime.filters.Filters;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * HTTP basic auth in front of every path of the registry when {@code llavaseg.registry.basic-auth.user}
 * and {@code llavaseg.registry.basic-auth.password} are set (run time; the launcher passes them in
 * an owner-only file, never on the command line); without them every path stays open, as for a
 * registry on loopback. Apicurio 2.4's own authentication needs an OIDC server (Keycloak), which a
 * self-contained deployment does not have; this filter is what an ingress with basic auth would do.
 * Wrong or missing credentials get 401 with a {@code WWW-Authenticate} challenge. The password
 * comparison takes constant time; credentials are never logged.
 */
@ApplicationScoped
public class BasicAuthFilter {
  private static final Logger LOG = Logger.getLogger(BasicAuthFilter.class);

  @ConfigProperty(name = "llavaseg.registry.basic-auth.user")
  Optional<String> user;

  @ConfigProperty(name = "llavaseg.registry.basic-auth.password")
  Optional<String> password;

  void register(@Observes Filters filters) {
    if (user.isEmpty() || password.isEmpty()) {
      return;
    }
    byte[] expected = ("Basic " + Base64.getEncoder().encodeToString(
        (user.get() + ":" + password.get()).getBytes(StandardCharsets.UTF_8))).getBytes(StandardCharsets.UTF_8);
    LOG.info("basic auth required on every path");
    filters.register(rc -> {
      String header = rc.request().getHeader("Authorization");
      byte[] given = header == null ? new byte[0] : header.getBytes(StandardCharsets.UTF_8);
      if (MessageDigest.isEqual(expected, given)) {
        rc.next();
      } else {
        rc.response().setStatusCode(401)
            .putHeader("WWW-Authenticate", "Basic realm=\"llavaseg-registry\", charset=\"UTF-8\"")
            .end();
      }
    }, 1000); // a high priority: before Apicurio's routes
  }
}

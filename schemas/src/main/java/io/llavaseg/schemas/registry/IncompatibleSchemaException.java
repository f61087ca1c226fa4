package io.llavaseg.schemas.registry;

/**
 * HTTP 409: the registry refused to register a schema because it breaks the subject's
 * compatibility rule (for example BACKWARD). Permanent for this schema.
 */
public class IncompatibleSchemaException extends RegistryException {
  private static final long serialVersionUID = 1L;

  public IncompatibleSchemaException(String message, int errorCode) {
    super(message, 409, errorCode);
  }
}

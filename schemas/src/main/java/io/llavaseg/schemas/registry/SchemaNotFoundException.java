package io.llavaseg.schemas.registry;

/**
 * HTTP 404: the subject, the schema under that subject, or the schema id does not exist
 * (Confluent error codes 40401, 40402, 40403). Permanent.
 */
public class SchemaNotFoundException extends RegistryException {
  private static final long serialVersionUID = 1L;

  public SchemaNotFoundException(String message, int errorCode) {
    super(message, 404, errorCode);
  }
}

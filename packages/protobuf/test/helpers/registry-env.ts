/** Where the integration tests find the registries; defaults match `scripts/services up registry`. */
export interface RegistryEnv {
  readonly url: string;
  readonly auth: { readonly url: string; readonly username: string; readonly password: string };
}

function value(name: string, fallback: string): string {
  const found = process.env[name];
  return found === undefined || found.trim() === '' ? fallback : found.trim();
}

/** Reads `KAFKA_SCHEMA_REGISTRY_URL` and `SCHEMA_REGISTRY_AUTH_*`. */
export function registryEnv(): RegistryEnv {
  return {
    url: value('KAFKA_SCHEMA_REGISTRY_URL', 'http://127.0.0.1:8085/apis/ccompat/v7'),
    auth: {
      url: value('SCHEMA_REGISTRY_AUTH_URL', 'http://127.0.0.1:8086/apis/ccompat/v7'),
      username: value('SCHEMA_REGISTRY_AUTH_USER', 'registry-user'),
      password: value('SCHEMA_REGISTRY_AUTH_PASSWORD', 'registry-pass'),
    },
  };
}

// Pipelines' SSH key pair and known hosts as the state holds them.

export interface PipelineKeyPair {
  /** Kept to be used by builds; never rendered. */
  privateKey: string;
  /** `<type> <base64>`. */
  publicKey: string;
}

export interface KnownHost {
  uuid: string;
  hostname: string;
  keyType: string;
  /** The key's base64 body. */
  key: string;
}

// Pipelines' SSH key pair and known hosts as the API renders them: the pair without its private key.
import { fingerprints } from "../../../rules/ssh-key";
import type { View } from "../../view";
import type { KnownHost, PipelineKeyPair } from "./model";

export function renderKeyPair(_view: View, pair: PipelineKeyPair): Record<string, unknown> {
  return { type: "pipeline_ssh_key_pair", public_key: pair.publicKey };
}

export function renderKnownHost(_view: View, h: KnownHost): Record<string, unknown> {
  const { md5, sha256 } = fingerprints(h.key);
  return {
    type: "pipeline_known_host",
    uuid: h.uuid,
    hostname: h.hostname,
    public_key: { type: "pipeline_ssh_public_key", key_type: h.keyType, key: h.key, md5_fingerprint: md5, sha256_fingerprint: sha256 },
  };
}

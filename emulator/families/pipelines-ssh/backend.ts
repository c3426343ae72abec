// A repository's Pipelines SSH settings (repository admins): one key pair and the known hosts. The
// rules: the private key is an unencrypted OpenSSH or PEM private key and the public key is its own
// (rules/ssh-key.ts; a refusal never quotes either); the private key is never rendered; a known host's
// name is unique in the repository (409) and its key a public key of an accepted type.
import { RepoRef, requireRepository } from "../../access";
import type { Caller } from "../../auth";
import type { Db } from "../../db";
import { ApiError, invalidField, notFound } from "../../errors";
import { newUuid, sameUuid } from "../../ids";
import { hostnameRefusal, keyIdentity, parsePublicKey, publicKeyOfPrivateKey } from "../../../rules/ssh-key";
import type { Repository } from "../repositories/model";
import type { KnownHost, PipelineKeyPair } from "./model";

type Body = Record<string, unknown>;

function checkKeyPair(body: Body): PipelineKeyPair {
  if (typeof body.private_key !== "string") throw invalidField("private_key", "must be a string");
  const derived = publicKeyOfPrivateKey(body.private_key);
  if ("refused" in derived) throw invalidField("private_key", `the key ${derived.refused}`);
  if (typeof body.public_key !== "string") throw invalidField("public_key", "must be a string");
  const given = parsePublicKey(body.public_key);
  if ("refused" in given) throw invalidField("public_key", `the key ${given.refused}`);
  if (keyIdentity(given) !== derived.publicKey) throw invalidField("public_key", "is not the public key of the private key");
  return { privateKey: body.private_key, publicKey: derived.publicKey };
}

function checkHostname(value: unknown): string {
  if (typeof value !== "string") throw invalidField("hostname", "must be a string");
  const refused = hostnameRefusal(value);
  if (refused) throw invalidField("hostname", refused);
  return value;
}

function checkHostKey(value: unknown): Pick<KnownHost, "keyType" | "key"> {
  const key = (typeof value === "object" && value !== null ? value : {}) as Body;
  if (typeof key.key_type !== "string" || typeof key.key !== "string") throw invalidField("public_key", "must be an object with key_type and key");
  const parsed = parsePublicKey(`${key.key_type} ${key.key}`);
  if ("refused" in parsed) throw invalidField("public_key", `the key ${parsed.refused}`);
  return { keyType: parsed.type, key: parsed.body };
}

export class PipelinesSsh {
  constructor(private readonly db: Db) {}

  private repository(caller: Caller, ref: RepoRef): Repository {
    return requireRepository(this.db, caller, ref, "admin").repo;
  }

  keyPair(caller: Caller, ref: RepoRef): PipelineKeyPair {
    const pair = this.repository(caller, ref).pipelineKeyPair;
    if (!pair) throw notFound("This repository has no SSH key pair");
    return pair;
  }

  /** Creates or replaces the pair. */
  setKeyPair(caller: Caller, ref: RepoRef, body: Body): PipelineKeyPair {
    const repo = this.repository(caller, ref);
    return (repo.pipelineKeyPair = checkKeyPair(body));
  }

  deleteKeyPair(caller: Caller, ref: RepoRef): void {
    const repo = this.repository(caller, ref);
    if (!repo.pipelineKeyPair) throw notFound("This repository has no SSH key pair");
    delete repo.pipelineKeyPair;
  }

  knownHosts(caller: Caller, ref: RepoRef): KnownHost[] {
    return this.repository(caller, ref).knownHosts ?? [];
  }

  knownHost(caller: Caller, ref: RepoRef, uuid: string): KnownHost {
    const found = this.knownHosts(caller, ref).find((h) => sameUuid(uuid, h.uuid));
    if (!found) throw notFound(`Known host ${uuid} not found`);
    return found;
  }

  private refuseTaken(repo: Repository, hostname: string, except?: KnownHost): void {
    if ((repo.knownHosts ?? []).some((h) => h !== except && h.hostname === hostname))
      throw new ApiError(409, `A known host with hostname ${hostname} already exists`);
  }

  addKnownHost(caller: Caller, ref: RepoRef, body: Body): { repo: Repository; host: KnownHost } {
    const repo = this.repository(caller, ref);
    const host: KnownHost = { uuid: newUuid(), hostname: checkHostname(body.hostname), ...checkHostKey(body.public_key) };
    this.refuseTaken(repo, host.hostname);
    (repo.knownHosts ??= []).push(host);
    return { repo, host };
  }

  /** Changes the hostname or the key the body names; nothing changes when one is refused. */
  updateKnownHost(caller: Caller, ref: RepoRef, uuid: string, body: Body): KnownHost {
    const repo = this.repository(caller, ref);
    const host = this.knownHost(caller, ref, uuid);
    const next = { ...host };
    if ("hostname" in body) next.hostname = checkHostname(body.hostname);
    if ("public_key" in body) Object.assign(next, checkHostKey(body.public_key));
    this.refuseTaken(repo, next.hostname, host);
    return Object.assign(host, next);
  }

  deleteKnownHost(caller: Caller, ref: RepoRef, uuid: string): void {
    const repo = this.repository(caller, ref);
    const host = this.knownHost(caller, ref, uuid);
    repo.knownHosts = repo.knownHosts!.filter((h) => h !== host);
  }
}

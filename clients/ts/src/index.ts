// The statuscollect client: the modules' types and query clients generated
// from their protos (src/gen, by `make ts-client`), a connection helper over
// CosmJS, and the decoding of the modules' typed events.
import { createHash } from "crypto";

import { QueryClient, createProtobufRpcClient } from "@cosmjs/stargate";
import { Comet38Client } from "@cosmjs/tendermint-rpc";

import { StatusSnapshot } from "./gen/statuscollect/types/v1/snapshot";

import { QueryClientImpl as CollectorQueryClient } from "./gen/statuscollect/collector/v1/query";
import { QueryClientImpl as ReporterQueryClient } from "./gen/statuscollect/reporter/v1/query";

export * as collector from "./gen/statuscollect/collector/v1/query";
export * as collectorEvents from "./gen/statuscollect/collector/v1/events";
export * as collectorState from "./gen/statuscollect/collector/v1/state";
export * as reporter from "./gen/statuscollect/reporter/v1/query";
export * as reporterEvents from "./gen/statuscollect/reporter/v1/events";
export * as snapshot from "./gen/statuscollect/types/v1/snapshot";

/** Query clients of both modules over one node's CometBFT RPC. */
export interface Clients {
  collector: CollectorQueryClient;
  reporter: ReporterQueryClient;
  comet: Comet38Client;
}

/** connect opens a node's CometBFT RPC (http:// or ws://) and returns both modules' query clients. */
export async function connect(rpcUrl: string): Promise<Clients> {
  const comet = await Comet38Client.connect(rpcUrl);
  const rpc = createProtobufRpcClient(new QueryClient(comet));
  return { collector: new CollectorQueryClient(rpc), reporter: new ReporterQueryClient(rpc), comet };
}

/**
 * listsHash is the hash a report by transaction may name a snapshot's orgs and validators by
 * (MsgSubmitStatus.lists_hash) when they are those of the subchain's latest report: the SHA-256 of
 * the protobuf encoding of a StatusSnapshot holding only them. The main chain's latest-status
 * answer carries it too (QueryLatestStatusResponse.listsHash).
 */
export function listsHash(s: Pick<StatusSnapshot, "orgs" | "validators">): Uint8Array {
  const bz = StatusSnapshot.encode(StatusSnapshot.fromPartial({ orgs: s.orgs, validators: s.validators })).finish();
  return new Uint8Array(createHash("sha256").update(bz).digest());
}

/** A CometBFT event as CosmJS returns it. */
export interface RawEvent {
  readonly type: string;
  readonly attributes: readonly { readonly key: string; readonly value: string }[];
}

/**
 * typedEventJSON turns a typed event's attributes back into the JSON object
 * the module emitted: the SDK writes each field as an attribute whose value is
 * the field's JSON (so a string is quoted: chain_id='"subchain-a"'), and adds
 * attributes of its own (msg_index, mode), which are left out. Pass the result
 * to the generated type's fromJSON.
 */
export function typedEventJSON(event: RawEvent): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of event.attributes) {
    if (key === "msg_index" || key === "mode") continue;
    out[key] = JSON.parse(value);
  }
  return out;
}

/** eventQuery is the subscription query of one typed event of a subchain, with the value quoted as the SDK writes it. */
export function eventQuery(eventType: string, chainId: string): string {
  return `${eventType}.chain_id='${JSON.stringify(chainId)}'`;
}

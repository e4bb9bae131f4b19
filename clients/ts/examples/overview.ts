// Reads every subchain's health from a main-chain node and one subchain's
// latest report (checking the hash of its lists), then waits for that
// subchain's next status report and decodes its event.
//
//   node dist/examples/overview.js <rpc-url> <chain-id> [timeout-seconds]
//   node dist/examples/overview.js http://127.0.0.1:26657 subchain-a 60
import { collector, collectorEvents, collectorState, connect, eventQuery, listsHash, typedEventJSON } from "../src";
import { Comet38Client } from "@cosmjs/tendermint-rpc";

async function main(): Promise<void> {
  const [rpcUrl = "http://127.0.0.1:26657", chainId = "subchain-a", timeout = "60"] = process.argv.slice(2);
  const clients = await connect(rpcUrl);
  const overview = await clients.collector.Overview(collector.QueryOverviewRequest.fromPartial({}));
  for (const h of overview.subchains) {
    const s = h.subchain!;
    console.log(
      `subchain ${s.chainId} ${collectorState.livenessToJSON(s.liveness)} height=${s.lastHeight} ` +
        `orgs=${h.orgCount} nodes=${h.nodeCount} contracts=${h.contractCount} due_in=${h.secondsUntilDue}s`,
    );
  }

  // The hash a report by tx may name the latest report's lists by: computed here, it must be the
  // main chain's.
  const latest = await clients.collector.LatestStatus(collector.QueryLatestStatusRequest.fromPartial({ chainId }));
  const hex = (b: Uint8Array) => Buffer.from(b).toString("hex");
  const ours = hex(listsHash(latest.report!.snapshot!));
  if (ours !== hex(latest.listsHash)) {
    throw new Error(`lists hash of ${chainId}'s latest report: ${ours} here, ${hex(latest.listsHash)} on the main chain`);
  }
  console.log(`latest report of ${chainId}: ${latest.report!.snapshot!.validators.length} validators, lists hash ${ours} (as the main chain's)`);

  const type = "statuscollect.collector.v1.EventStatusReported";
  // CosmJS adds the "/websocket" path itself.
  const ws = await Comet38Client.connect(rpcUrl.replace(/^http/, "ws"));
  const event = await new Promise<collectorEvents.EventStatusReported>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${type} of ${chainId} within ${timeout}s`)), Number(timeout) * 1000);
    const sub = ws.subscribeTx(eventQuery(type, chainId)).subscribe({
      next: (tx) => {
        const raw = tx.result.events.find((e) => e.type === type);
        if (!raw) return;
        const ev = collectorEvents.EventStatusReported.fromJSON(typedEventJSON(raw));
        if (ev.chainId !== chainId) return;
        clearTimeout(timer);
        sub.unsubscribe();
        resolve(ev);
      },
      error: (err) => reject(err),
      complete: () => reject(new Error("subscription closed")),
    });
  });
  const source = event.source?.channelId ? `ibc:${event.source.channelId}` : `org:${event.source?.orgId}`;
  console.log(
    `event ${type} chain=${event.chainId} sequence=${event.sequence} height=${event.height} source=${source} ` +
      `orgs=${event.orgCount} nodes=${event.nodeCount} contracts=${event.contractCount}`,
  );
  ws.disconnect();
  clients.comet.disconnect();
}

// The websocket client keeps Node's event loop alive after it is closed.
main().then(() => process.exit(0)).catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { message } from './activities';
import { startFakeConnector } from '../test/helpers/fakeConnector';
import { postJson } from './http';
import { discardingLogger } from './inProcessBot';
import type { BenchResult } from './row';
import type { BenchSettings } from './settings';
import { percentile, round } from './stats';
import { sleep } from './wait';
import { loadConfig } from '../src/config';
import { buildApp } from '../src/index';
import { Reconciler } from '../src/migration/reconciliation';
import { SEED, simId } from '../src/sim/dataverse/seed';
import { startOrganisation, type SimOrganisation } from '../src/sim/organisation';
import { DEFAULT_SIM_TOKEN } from '../src/sim/simulator';
import { systemClock } from '../src/migration/types';

/**
 * Issue 12's speed figures: from `migrate` to the card with every Dataverse check filled in, against a simulated
 * Dataverse that answers each call after 50 ms, for a source of 4,000 registrations (counted, not read); and the
 * reconciliation of 4,000 source registrations against 3,990 arrived. Each beside the same work against a
 * Dataverse that answers at once, with the Dataverse calls it cost.
 */

const SOURCE_REGISTRATIONS = 4_000;
const ARRIVED = 3_990;
const SLOW_MS = 50;

/** Grows the seed's live outbound event to 4,000 registrations, and gives the blank draft 3,990 of their contacts. */
function growOrganisation(org: SimOrganisation): void {
  const regs = org.dataverse.rows('msevtmgt_eventregistrations');
  const contacts = org.dataverse.rows('contacts');
  const live = regs.filter((r) => r._msevtmgt_eventid_value === SEED.outboundLive && !r.msevtmgt_iscanceled).length;
  for (let n = 0; n < SOURCE_REGISTRATIONS - live; n++) {
    const contactid = simId('c1000000', n);
    contacts.push({ contactid, fullname: `Bench attendee ${n}`, emailaddress1: `bench${n}@example.com` });
    regs.push({
      msevtmgt_eventregistrationid: simId('e1000000', n),
      _msevtmgt_eventid_value: SEED.outboundLive,
      _msevtmgt_contactid_value: contactid,
      statuscode: 1,
      msevtmgt_iscanceled: false,
    });
  }
}

function arrive(org: SimOrganisation, count: number): void {
  const regs = org.dataverse.rows('msevtmgt_eventregistrations');
  const source = regs.filter((r) => r._msevtmgt_eventid_value === SEED.outboundLive && !r.msevtmgt_iscanceled);
  source.slice(0, count).forEach((r, n) =>
    regs.push({
      msevtmgt_eventregistrationid: simId('e2000000', n),
      _msevtmgt_eventid_value: SEED.realTimeBlank2,
      _msevtmgt_contactid_value: r._msevtmgt_contactid_value,
      statuscode: 1,
      msevtmgt_iscanceled: false,
    }),
  );
}

interface Measured {
  cardMs: number[];
  cardCalls: number;
  reconcileMs: number[];
  reconcileCalls: number;
  reconcileHeapMb: number;
  missingFound: number;
}

async function measure(latencyMs: number, samples: number): Promise<Measured> {
  const org = await startOrganisation({ dataverse: { latencyMs } });
  growOrganisation(org);
  arrive(org, ARRIVED);
  const connector = await startFakeConnector({ record: false, timeArrivals: true });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'emb-bench-dv-'));
  const config = loadConfig({
    ...org.env(),
    PORT: '0',
    EVENTS_API_TOKEN: DEFAULT_SIM_TOKEN,
    DATABASE_URL: `sqlite:${path.join(dir, 'bot.db')}`,
    LOG_LEVEL: 'info',
  });
  const logger = discardingLogger();
  const app = await buildApp(config, {
    host: '127.0.0.1',
    logger,
    dataverseCredential: org.credential(),
    minSendGapMs: 0,
  });
  await app.resumed;
  const out: Measured = {
    cardMs: [],
    cardCalls: 0,
    reconcileMs: [],
    reconcileCalls: 0,
    reconcileHeapMb: 0,
    missingFound: 0,
  };
  try {
    for (let i = 0; i < samples; i++) {
      const callsBefore = org.dataverse.calls.length;
      const request = message(connector.url, `migrate ${SEED.outboundLive} ${SEED.realTimeBlank}`);
      const t0 = performance.now();
      const [, card] = await Promise.all([
        postJson(`${app.server.url}/api/messages`, request),
        connector.replyTo(request.id),
      ]);
      const jobId = (JSON.stringify(card.activity).match(/"jobId":"([^"]+)"/) ?? [])[1];
      for (let k = 0; k < 20_000; k++) {
        const job = await app.store.getJob(jobId);
        if (job?.preflight?.status === 'done' && !job.cardDirty) break;
        await sleep(2);
      }
      out.cardMs.push(performance.now() - t0);
      out.cardCalls = org.dataverse.calls.length - callsBefore;
    }
    const reconciler = new Reconciler({ facts: app.dataverse!, store: app.store, clock: systemClock, logger });
    for (let i = 0; i < samples; i++) {
      const callsBefore = org.dataverse.calls.length;
      const heapBefore = process.memoryUsage().heapUsed;
      const t0 = performance.now();
      const list = await reconciler.missing({ fromEventId: SEED.outboundLive, toEventId: SEED.realTimeBlank2 });
      out.reconcileMs.push(performance.now() - t0);
      out.reconcileHeapMb = Math.max(out.reconcileHeapMb, (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20);
      out.reconcileCalls = org.dataverse.calls.length - callsBefore;
      out.missingFound = list.ok ? list.names.length : -1;
    }
  } finally {
    await app.stop();
    await connector.close();
    await org.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return out;
}

export async function dataverseEvidence(s: BenchSettings): Promise<BenchResult> {
  const samples = s.short ? 3 : 10;
  const slow = await measure(SLOW_MS, samples);
  const fast = await measure(0, samples);
  const baselineName = 'Dataverse answering at once';
  const p50 = (xs: number[]) => round(percentile(xs, 50));
  return {
    rows: [
      {
        benchmark: `migrate -> every check on the card, Dataverse ${SLOW_MS} ms a call, ${SOURCE_REGISTRATIONS} registrations`,
        measure: 'p50',
        unit: 'ms',
        bot: p50(slow.cardMs),
        baseline: p50(fast.cardMs),
        baselineName,
        target: 'a few seconds at most',
        met: p50(slow.cardMs) < 3_000,
      },
      {
        benchmark: `reconcile ${SOURCE_REGISTRATIONS} against ${ARRIVED}, Dataverse ${SLOW_MS} ms a call`,
        measure: 'p50',
        unit: 'ms',
        bot: p50(slow.reconcileMs),
        baseline: p50(fast.reconcileMs),
        baselineName,
        target: '',
      },
      {
        benchmark: `reconcile ${SOURCE_REGISTRATIONS} against ${ARRIVED}`,
        measure: 'heap growth',
        unit: 'MB',
        bot: round(slow.reconcileHeapMb),
        baseline: round(fast.reconcileHeapMb),
        baselineName,
        target: '',
      },
    ],
    details: {
      samples,
      dataverseCalls: { card: slow.cardCalls, reconcile: slow.reconcileCalls },
      missingFound: { slow: slow.missingFound, fast: fast.missingFound },
    },
  };
}

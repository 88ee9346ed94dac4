/**
 * CPU seconds to turn raw BSON documents into Arrow batches (the source's decoder), beside the
 * driver's own decoding of the same bytes into JS documents (`BSON.deserialize`). One process
 * per measurement, so neither warms the other's JIT or heap.
 *
 *   tsx bench/mongodb/decode.ts <arrow|deserialize> <documents>
 */
import { BSON } from 'bson';
import { PageDecoder, arrowSchema } from '../../src/connectors/mongodb/page.js';
import { inferColumns } from '../../src/connectors/mongodb/infer.js';
import { benchDocuments } from './dataset.js';

const [mode = 'arrow', countText = '1000000'] = process.argv.slice(2);
const total = Number(countText);
const SET = 100_000;
const BATCH = 10_000;
const docs = benchDocuments(SET);
const plans = inferColumns(docs.slice(0, 1000), false).filter((plan) => plan.name !== '_id');
const schema = arrowSchema(plans);
const counter = { mismatch: () => undefined };
let sink = 0;

const cpu = process.cpuUsage();
for (let done = 0; done < total; done += SET) {
  if (mode === 'deserialize') {
    for (const doc of docs) sink += Object.keys(BSON.deserialize(doc)).length;
  } else {
    for (let at = 0; at < SET; at += BATCH) {
      const page = new PageDecoder(plans, schema, BATCH, counter, false);
      for (let i = at; i < at + BATCH; i++) page.add(docs[i], 0);
      sink += page.finish().numRows;
    }
  }
}
const used = process.cpuUsage(cpu);
process.stdout.write(`${JSON.stringify({ mode, documents: total, cpuSeconds: (used.user + used.system) / 1e6, check: sink > 0 })}\n`);

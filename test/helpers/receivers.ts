import { after, before } from './node-test.js';
import { createTransport, type HttpClient } from '../../core/delivery/transport.js';
import { Receiver } from './receiver.js';
import { makePki } from './tls.js';

/**
 * `count` HTTPS receivers on 127.0.0.1 and the real transport, trusting their CA: started before
 * the suite's tests and closed after them (read the fields inside tests, not at load).
 */
export function receiversRig(count = 1): { receivers: Receiver[]; transport: HttpClient } {
  const rig = { receivers: [] as Receiver[], transport: undefined as unknown as HttpClient };
  before(async () => {
    const pki = await makePki();
    for (let i = 0; i < count; i++) rig.receivers.push(await Receiver.start(pki));
    rig.transport = createTransport({ extraCa: pki.ca });
  });
  after(async () => {
    await rig.transport?.close();
    for (const r of rig.receivers) await r.close();
  });
  return rig;
}

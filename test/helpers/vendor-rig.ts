import { IntegrationService } from '../../core/delivery/integration-service.js';
import { createTransport } from '../../core/delivery/transport.js';
import { deliveryRig, historyInOrder, transitionOf } from './delivery.js';
import { Receiver, type Received, type Reply } from './receiver.js';
import type { TestPki } from './tls.js';

/**
 * A vendor stand-in on 127.0.0.1 over HTTPS, and the product's dispatcher (outbox, history) and
 * integration service, trusting the test CA: what a real delivery goes through. `opened` is given
 * what to close after the test (see closeAfterEach).
 */
export async function vendorRig(
  pki: TestPki,
  handle: (r: Received) => Reply,
  opened: (...closers: (() => Promise<void>)[]) => void,
) {
  const receiver = await Receiver.start(pki);
  receiver.always(handle);
  const rig = await deliveryRig({ extraCa: pki.ca });
  const service = new IntegrationService(
    rig.integrations,
    createTransport({ extraCa: pki.ca }),
    () => rig.dispatcher,
  );
  const close = async () => {
    await rig.close();
    await receiver.close();
  };
  // Closed after the test whatever happens; a test may close it earlier (closing twice is fine).
  opened(close);
  return {
    receiver,
    rig,
    service,
    /** Sends these transitions of `mount` and waits until every delivery has ended; newest first. */
    async send(states: [string, string][], mount = '/data') {
      for (const [from, to] of states)
        rig.dispatcher.enqueue(...transitionOf(to as never, from as never, mount));
      await rig.dispatcher.idle();
      return historyInOrder(rig.history);
    },
    close,
  };
}

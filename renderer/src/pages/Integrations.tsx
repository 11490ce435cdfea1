import { useState } from 'react';
import type { ChannelView, IntegrationView } from '../../../shared/ipc/contract';
import { protocolOf } from '../../../shared/channels/protocols';
import { withAnswer } from '../../../shared/http-outcome';
import { formWords } from '../form-words';
import { api } from '../client';
import { onDemand } from '../components/OnDemand';
import { SecretsNote } from '../components/SecretsNote';
import { LoadStatus, ManagedMark, Outcome, Words } from '../components/widgets';
import { useEvent, useLoad } from '../hooks';

// The form (with the schemas it checks quiet hours with, and the template variables) loads when
// opened: the pages people look at most stay small.
const IntegrationForm = onDemand(
  () => import('./IntegrationForm').then((m) => m.IntegrationForm),
  'the form',
  <p role="status">Opening the form…</p>,
);

type Result = { ok: boolean | null; text: string } | 'busy' | undefined;

const SEVERITY_LABELS: Record<string, string> = {
  'all+unreachable': 'all alerts and unreachable',
  all: 'all alerts',
  critical: 'critical only',
};

export function Integrations() {
  const channels = useLoad(() => api['channels.list']({}));
  const list = useLoad(() => api['integrations.list']({}));
  const disks = useLoad(() => api['disks.list']({}));
  useEvent('disks', (d) => disks.setValue(d));
  const [editing, setEditing] = useState<{ channel: ChannelView; existing?: IntegrationView }>();
  const [results, setResults] = useState<Record<string, Result>>({});
  const [confirming, setConfirming] = useState<string>();
  const [note, setNote] = useState<string>();

  const setResult = (id: string, r: Result) => setResults((all) => ({ ...all, [id]: r }));
  const channelOf = (type: string) => channels.value?.find((c) => c.type === type);

  const run = async (id: string, type: string, action: 'test' | 'validate') => {
    setResult(id, 'busy');
    // A result may name a setting by its flag ("choose --security tls"): here, by its label.
    const words = (message: string) => formWords(message, channelOf(type)?.fields ?? []);
    try {
      if (action === 'test') {
        const r = await api['integrations.test']({ id });
        const last = r.attempts.at(-1);
        setResult(id, {
          ok: r.outcome === 'delivered',
          // A delivered test has a reason when the template failed and Headroom's own message went.
          text: withAnswer(
            r.outcome === 'delivered'
              ? `Test delivered${r.reason ? `; ${r.reason}` : ''}`
              : `Failed: ${words(r.reason ?? '')}`,
            last?.status,
            last?.latencyMs,
            protocolOf(type),
          ),
        });
      } else {
        const r = await api['integrations.validate']({ id });
        // Nothing checkable is neither a tick nor a cross.
        const ok = r.level === 'unchecked' ? null : r.level === 'ok';
        setResult(id, { ok, text: withAnswer(words(r.message), r.status, r.latencyMs, protocolOf(type)) });
      }
    } catch (e) {
      setResult(id, { ok: false, text: (e as Error).message });
    }
  };

  return (
    <section aria-labelledby="integrations-title">
      <header className="page-head">
        <h1 id="integrations-title">Integrations</h1>
      </header>
      <SecretsNote />
      {note && (
        <p role="status" className="note">
          {note}
        </p>
      )}
      {editing ? (
        <IntegrationForm
          channel={editing.channel}
          existing={editing.existing}
          disks={disks.value?.map((d) => d.mount) ?? []}
          onDone={(saved, message) => {
            setEditing(undefined);
            setNote(saved ? `Saved ${saved.name}.${message ? ` ${message}` : ''}` : undefined);
            list.reload();
          }}
          giveUp={() => setEditing(undefined)}
        />
      ) : (
        <>
          <h2>Configured</h2>
          <LoadStatus load={list} what="the integrations" />
          {list.value?.integrations.length === 0 && (
            <div className="card empty">
              <p>No integrations yet. Headroom tells you on this desktop; to tell your team too:</p>
              <ol className="steps">
                <li>Pick where alerts should go from “Add an integration” below (Slack, a webhook, …).</li>
                <li>Fill in its form and press Add integration.</li>
                <li>Press Send test on it: the message arrives, and History shows how it went.</li>
              </ol>
            </div>
          )}
          {list.value?.problems.map((p) => (
            <p key={p.id} role="alert" className="error">
              {p.name} ({p.id}) cannot be loaded: <Words text={p.message} />
            </p>
          ))}
          <ul className="integration-list">
            {list.value?.integrations.map((i) => (
              <li key={i.id} className="card integration" data-id={i.id}>
                <div className="integration-head">
                  <h3>{i.name}</h3>
                  <span className="muted integration-type">{channelOf(i.type)?.label ?? i.type}</span>
                  {i.managed && <ManagedMark />}
                  <label className="switch">
                    <input
                      type="checkbox"
                      role="switch"
                      checked={i.enabled}
                      disabled={i.managed}
                      aria-label={`${i.name} enabled`}
                      onChange={(e) =>
                        api['integrations.setEnabled']({ id: i.id, enabled: e.target.checked }).then(
                          list.reload,
                        )
                      }
                    />
                    {i.enabled ? 'On' : 'Off'}
                  </label>
                </div>
                <p className="muted">{summary(i)}</p>
                <div className="actions">
                  <button
                    type="button"
                    disabled={i.managed}
                    onClick={() => {
                      setResult(i.id, undefined);
                      setEditing({ channel: channelOf(i.type)!, existing: i });
                    }}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    aria-label={`Send test to ${i.name}`}
                    onClick={() => run(i.id, i.type, 'test')}
                    disabled={results[i.id] === 'busy'}
                  >
                    Send test
                  </button>
                  <button
                    type="button"
                    onClick={() => run(i.id, i.type, 'validate')}
                    disabled={results[i.id] === 'busy'}
                  >
                    Validate
                  </button>
                  {confirming === i.id ? (
                    <span role="group" aria-label={`Delete ${i.name}?`}>
                      Delete {i.name}?{' '}
                      <button
                        type="button"
                        className="danger"
                        onClick={async () => {
                          await api['integrations.remove']({ id: i.id });
                          setConfirming(undefined);
                          list.reload();
                        }}
                      >
                        Delete
                      </button>
                      <button type="button" onClick={() => setConfirming(undefined)}>
                        Keep
                      </button>
                    </span>
                  ) : (
                    <button type="button" disabled={i.managed} onClick={() => setConfirming(i.id)}>
                      Delete…
                    </button>
                  )}
                  <Outcome result={results[i.id]} />
                </div>
              </li>
            ))}
          </ul>
          <h2>Add an integration</h2>
          <LoadStatus load={channels} what="the channels" />
          {list.value?.policy?.userIntegrations === false && (
            <p role="note" className="managed">
              Managed by your organisation: only the integrations of {list.value.policy.file} are used, and
              none can be added here.
            </p>
          )}
          <ul className="catalogue">
            {channels.value?.map((c) => (
              <li key={c.type} className="card channel">
                <h3>{c.label}</h3>
                <button
                  type="button"
                  aria-label={`Add ${c.label}`}
                  disabled={list.value?.policy?.userIntegrations === false}
                  onClick={() => {
                    setNote(undefined);
                    setEditing({ channel: c });
                  }}
                >
                  + Add
                </button>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}

/** One line under an integration's name: what it hears of, and when it keeps quiet or repeats. */
function summary(i: IntegrationView): string {
  const parts = [i.mounts.length ? i.mounts.join(', ') : 'All disks', SEVERITY_LABELS[i.severity]];
  if (i.quietHours)
    parts.push(
      `quiet ${i.quietHours.start}–${i.quietHours.end}${i.quietHours.days.length < 7 ? ` (${i.quietHours.days.join(', ')})` : ''}`,
    );
  const { warningHours: w, criticalHours: c } = i.reminders;
  if (w !== null || c !== null)
    parts.push(
      `reminders ${[w !== null && `every ${w} h while warning`, c !== null && `every ${c} h while critical`]
        .filter(Boolean)
        .join(', ')}`,
    );
  if (i.template.title || i.template.text || i.template.body) parts.push('own message template');
  return parts.join(' · ');
}

import { z } from 'zod';
import type { MountState } from '../disk.js';
import { classifyStatus, type HttpRequest } from '../delivery.js';
import { details, fullText, title, type AlertEvent } from '../event.js';
import { authFields, authHeaders, authShape, checkAuth, tlsOf } from './auth.js';
import type { Channel, Field } from './channel.js';
import { bodyText, endpointUrl, linkField, linkUrl, safeJson, USER_AGENT } from './common.js';

// API v2: https://github.com/prometheus/alertmanager/blob/main/api/v2/openapi.yaml
const schema = z
  .object({
    // Alertmanager usually lives on an internal network, often over plain HTTP behind a proxy.
    url: endpointUrl('the Alertmanager URL', { allowHttp: true }),
    ...authShape,
    linkUrl,
  })
  .superRefine(checkAuth);

export type AlertmanagerConfig = z.output<typeof schema>;

const fields: Field[] = [
  {
    key: 'url',
    flag: 'url',
    label: 'Alertmanager URL',
    kind: 'url',
    help: 'Its base URL, e.g. https://alertmanager.example.com:9093 (any path prefix included).',
    placeholder: 'http://alertmanager:9093',
  },
  ...authFields,
  linkField,
];

interface AmAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL?: string;
}

/** The labels that identify one alert: they must be identical to resolve what was fired. */
function labelsFor(e: AlertEvent, state: Exclude<MountState, 'ok'>): Record<string, string> {
  return {
    // Inodes are their own alert: its own name, so silences and routes can tell them apart.
    alertname:
      state === 'unreachable' ? 'DiskUnreachable' : e.kind === 'inodes' ? 'DiskInodesLow' : 'DiskSpaceLow',
    severity: state === 'unreachable' ? 'warning' : state,
    host: e.host,
    instance: e.host,
    mount: e.mount,
    job: 'headroom',
  };
}

function alertsFor(e: AlertEvent): AmAlert[] {
  const iso = (ms: number) => new Date(ms).toISOString();
  const annotations = { summary: title(e), description: details(e) };
  if (e.test) {
    const labels = {
      alertname: 'HeadroomTest',
      severity: 'info',
      host: e.host,
      instance: e.host,
      job: 'headroom',
      test: 'true',
    };
    return [{ labels, annotations, startsAt: iso(e.at), endsAt: iso(e.at + 5 * 60_000) }];
  }
  const alerts: AmAlert[] = [];
  // A state is its own alert (severity is a label), so moving between states resolves the old one.
  if (e.from !== 'ok' && e.from !== e.to)
    alerts.push({ labels: labelsFor(e, e.from), annotations, startsAt: iso(e.at), endsAt: iso(e.at) });
  if (e.to !== 'ok') {
    // As Prometheus does: valid for four sample intervals, re-sent every sample while active.
    const validFor = Math.max(4 * e.intervalSeconds, 300) * 1000;
    alerts.push({
      labels: labelsFor(e, e.to),
      annotations,
      startsAt: iso(e.startedAt ?? e.at),
      endsAt: iso(e.at + validFor),
    });
  }
  return alerts;
}

/** Each alert with the link back (Alertmanager's "Source" link) when one is set. */
function withLink(alerts: AmAlert[], link: string | undefined): AmAlert[] {
  return link ? alerts.map((a) => ({ ...a, generatorURL: link })) : alerts;
}

const base = (c: AlertmanagerConfig) => c.url.replace(/\/$/, '');

export const alertmanager: Channel<AlertmanagerConfig> = {
  type: 'alertmanager',
  label: 'Prometheus Alertmanager',
  aliases: [],
  fields,
  schema,
  // API v2 sets no length on labels or annotations.
  limits: { text: {} },
  refreshActive: true,

  render(event, config): HttpRequest {
    return {
      method: 'POST',
      url: `${base(config)}/api/v2/alerts`,
      headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, ...authHeaders(config) },
      body: JSON.stringify(withLink(alertsFor(event), config.linkUrl)),
      tls: tlsOf(config),
    };
  },

  classify(res, _event, _config, now) {
    if (res.status === 400) {
      const json = safeJson(res.body) as { message?: string } | string | undefined;
      const why = typeof json === 'string' ? json : (json?.message ?? bodyText(res.body));
      return {
        kind: 'failed',
        reason: 'vendorError',
        message: `Alertmanager rejected the alerts (HTTP 400): ${why}`,
      };
    }
    return classifyStatus(res, now);
  },

  preview(event) {
    return { title: title(event), text: fullText(event), truncated: false };
  },

  check(config) {
    return {
      request: {
        method: 'GET',
        url: `${base(config)}/api/v2/status`,
        headers: { 'user-agent': USER_AGENT, ...authHeaders(config) },
        tls: tlsOf(config),
      },
      timeoutMs: 10_000,
      verify(res) {
        const outcome = classifyStatus(res, Date.now());
        if (outcome.kind !== 'delivered') return outcome;
        const status = safeJson(res.body) as
          { versionInfo?: { version?: string }; cluster?: { status?: string } } | undefined;
        if (!status?.versionInfo)
          return {
            kind: 'failed',
            reason: 'vendorError',
            message: 'that URL answered, but not like an Alertmanager (no /api/v2/status)',
          };
        return {
          kind: 'delivered',
          note: `Alertmanager ${status.versionInfo.version ?? '?'} answers (cluster ${status.cluster?.status ?? 'unknown'})`,
        };
      },
    };
  },
};

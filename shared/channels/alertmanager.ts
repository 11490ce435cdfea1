import * as z from 'zod';
import { ALERT_KINDS } from '../alert-kinds.js';
import type { MountState } from '../disk.js';
import { classifyStatus, type HttpRequest, type HttpResponse } from '../http-outcome.js';
import { details, title, type AlertEvent } from '../event.js';
import { authHeaders, authSettings, checkAuth, inferAuth, tlsOf } from './auth.js';
import type { Channel, Step } from './channel.js';
import { longestGroupWait } from './alertmanager-config.js';
import { formatDuration } from '../format.js';
import { bodyText, endpointUrl, linkSetting, safeJson, USER_AGENT } from './common.js';
import { channelSettings } from './settings.js';

// API v2: https://github.com/prometheus/alertmanager/blob/main/api/v2/openapi.yaml

/** A cluster is a handful of peers (three is the usual, for quorum-free HA). */
const MAX_PEERS = 10;

const { schema, fields } = channelSettings(
  {
    url: {
      // The peers of a cluster, or one Alertmanager. One URL as a string (as saved before there
      // could be several) is read as a list of one. Alertmanager usually lives on an internal
      // network, often over plain HTTP behind a proxy.
      type: () =>
        z.preprocess(
          (v) => (typeof v === 'string' ? [v] : v),
          z
            .array(endpointUrl('the Alertmanager URL', { allowHttp: true }), {
              error: 'the Alertmanager URL is required',
            })
            .min(1, { error: 'the Alertmanager URL is required' })
            .max(MAX_PEERS, { error: `at most ${MAX_PEERS} peers` })
            // With or without the trailing slash, it is the same peer.
            .refine((urls) => new Set(urls.map((u) => u.replace(/\/$/, ''))).size === urls.length, {
              error: 'lists the same peer twice',
            }),
        ),
      field: {
        flag: 'url',
        label: 'Alertmanager URLs',
        kind: 'list',
        of: 'url',
        help: "Its base URL, e.g. https://alertmanager.example.com:9093 (any path prefix included). For a cluster, every peer's (repeat --url; one a line in forms): each alert goes to all.",
        placeholder: 'http://alertmanager:9093 (one per line)',
      },
    },
    ...authSettings,
    ...linkSetting,
  },
  (object, fields) => z.preprocess(inferAuth(fields), object.superRefine(checkAuth)),
);

export type AlertmanagerConfig = z.output<typeof schema>;

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
    alertname: state === 'unreachable' ? 'DiskUnreachable' : ALERT_KINDS[e.kind].vendors.alertmanager,
    severity: state === 'unreachable' ? 'warning' : state,
    host: e.host,
    instance: e.host,
    mount: e.mount,
    job: 'headroom',
  };
}

const iso = (ms: number) => new Date(ms).toISOString();

/** As Prometheus does: an active alert is valid for four sample intervals, re-sent every sample. */
const validFor = (e: AlertEvent) => Math.max(4 * e.intervalSeconds, 300) * 1000;

/** A resolve ends where it starts (an alert that fires ends later). */
const isResolve = (a: AmAlert) => Date.parse(a.endsAt) <= Date.parse(a.startsAt);

/**
 * A resolve ends a second before the change: Alertmanager's Date header tells its time only to
 * the second, and a resolve ending within the second of its answer could not be told from one it
 * took as not over yet (see inItsTime), so nearly every resolve was posted twice. The disk changed
 * at some time since the sample before anyway.
 */
const RESOLVE_LEAD_MS = 1000;
const resolvedAt = (e: AlertEvent) => iso(e.at - RESOLVE_LEAD_MS);

/** Whether this event ends an alert at Alertmanager (a state left for ok or for another). */
const endsOne = (e: AlertEvent): e is AlertEvent & { from: Exclude<MountState, 'ok'> } =>
  e.from !== 'ok' && e.from !== e.to;

function alertsFor(e: AlertEvent): AmAlert[] {
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
    // Short-lived, and resolved right after a Send test (its all-clear).
    const at = e.to === 'ok' ? resolvedAt(e) : iso(e.at);
    return [{ labels, annotations, startsAt: at, endsAt: e.to === 'ok' ? at : iso(e.at + 5 * 60_000) }];
  }
  const alerts: AmAlert[] = [];
  // A state is its own alert (severity is a label), so moving between states resolves the old one.
  if (endsOne(e))
    alerts.push({
      labels: labelsFor(e, e.from),
      annotations,
      startsAt: resolvedAt(e),
      endsAt: resolvedAt(e),
    });
  if (e.to !== 'ok') {
    alerts.push({
      labels: labelsFor(e, e.to),
      annotations,
      startsAt: iso(e.startedAt ?? e.at),
      endsAt: iso(e.at + validFor(e)),
    });
  }
  return alerts;
}

/**
 * Alertmanager judges `endsAt` by its own clock, and when a resolve's endsAt is still in its
 * future it keeps the later endsAt of the active alert (types.Alert.Merge): with this machine's
 * clock ahead, the alert would stay active until then. Its answer's Date header tells its time
 * (to the second, rounded down, so never later than its clock): resolves that may lie ahead of it
 * are sent again ending then, and active alerts it would take as already over (this machine's
 * clock far behind) are sent again valid from then. A resolve that ends within the second after
 * that time may have been taken already: sending it again is only in case (`needed` false).
 */
function inItsTime(alerts: AmAlert[], response: HttpResponse, e: AlertEvent) {
  const theirs = Date.parse(response.headers.date ?? '');
  if (Number.isNaN(theirs)) return null;
  const resolves = alerts.filter((a) => isResolve(a) && Date.parse(a.endsAt) > theirs);
  const surelyLate = resolves.some((a) => Date.parse(a.endsAt) > theirs + 1000);
  const expired = alerts.filter((a) => !isResolve(a) && Date.parse(a.endsAt) <= theirs);
  if (resolves.length + expired.length === 0) return null;
  const ahead = Math.round((e.at - theirs) / 1000);
  const notes = [
    // Within the Date header's rounding it is no news: it was sent again all the same.
    ...(resolves.length && ahead > 1
      ? [
          `this machine's clock is about ${ahead} s ahead of Alertmanager's: the resolve was sent again in its time`,
        ]
      : []),
    ...(expired.length
      ? ["this machine's clock is behind Alertmanager's: the alert was sent again, valid from its time"]
      : []),
  ];
  return {
    alerts: [
      ...resolves.map((a) => ({ ...a, startsAt: iso(theirs), endsAt: iso(theirs) })),
      ...expired.map((a) => ({ ...a, endsAt: iso(theirs + validFor(e)) })),
    ],
    note: notes.length ? `${notes.join('; ')} (set both clocks with NTP)` : undefined,
    needed: surelyLate || expired.length > 0,
  };
}

/** Each alert with the link back (Alertmanager's "Source" link) when one is set. */
function withLink(alerts: AmAlert[], link: string | undefined): AmAlert[] {
  return link ? alerts.map((a) => ({ ...a, generatorURL: link })) : alerts;
}

/** The first peer's: a config of one peer, as `targets` makes them. */
const base = (c: AlertmanagerConfig) => c.url[0]!.replace(/\/$/, '');

/** Its status: version, cluster, and its configuration (whose group_wait a Send test waits out). */
const statusRequest = (c: AlertmanagerConfig): HttpRequest => ({
  method: 'GET',
  url: `${base(c)}/api/v2/status`,
  headers: { 'user-agent': USER_AGENT, ...authHeaders(c) },
  tls: tlsOf(c),
});

export const alertmanager: Channel<AlertmanagerConfig> = {
  type: 'alertmanager',
  label: 'Prometheus Alertmanager',
  aliases: [],
  fields,
  schema,
  // API v2 sets no length on labels or annotations.
  limits: { text: {} },
  traits: { pages: true, deduplicates: 'labels (one alert per label set)', refreshActive: true },
  targets: {
    // As Prometheus does: each alert to every peer, which deduplicate notifications by gossip.
    of: (config) => config.url.map((url) => ({ name: url, config: { ...config, url: [url] } })),
    // Each peer holds its own copy of an alert: a peer that missed its resolve would keep it (and
    // may page it as firing again) until the endsAt it was last sent, at most one validity from now.
    every: (event) => (!event.test && endsOne(event) ? event.at + validFor(event) : null),
  },

  testHold(config) {
    return {
      request: statusRequest(config),
      timeoutMs: 10_000,
      holdMs(res) {
        if (classifyStatus(res, Date.now()).kind !== 'delivered') return null;
        const status = safeJson(res.body) as { config?: { original?: unknown } } | undefined;
        const yaml = status?.config?.original;
        const wait = typeof yaml === 'string' ? longestGroupWait(yaml) : null;
        return wait === null ? null : { ms: wait, what: `its group_wait (${formatDuration(wait)})` };
      },
    };
  },

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

  followUp(event, config, steps) {
    if (steps.length !== 1) return null;
    const [{ request, response }] = steps as [Step];
    const again = inItsTime(JSON.parse(request.body!) as AmAlert[], response, event);
    if (!again) return null;
    return {
      request: { ...request, body: JSON.stringify(again.alerts) },
      classify(res, now) {
        const outcome = alertmanager.classify(res, event, config, now);
        if (outcome.kind === 'delivered')
          return again.note ? { kind: 'delivered', note: again.note } : outcome;
        // Only in case: the first post most likely did it, so this one's failure is no retry.
        if (!again.needed)
          return {
            kind: 'delivered',
            note: `the resolve was sent again in case Alertmanager's clock is a little behind this machine's, and that failed (${outcome.message}); the first most likely did it`,
          };
        return outcome;
      },
    };
  },

  check(config) {
    return {
      request: statusRequest(config),
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

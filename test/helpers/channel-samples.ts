/**
 * A valid configuration of every channel, with a distinctive value in every secret field, for
 * the contract tests that loop over the registry. `base` is the receiver's URL.
 */
export const SECRET_MARK = 'S3CRETsecretVALUE';

export function sampleConfigs(base: string): Record<string, Record<string, unknown>> {
  return {
    webhook: {
      url: `${base}/hook`,
      sharedKey: `${SECRET_MARK}${'A'.repeat(27)}`,
      auth: 'bearer',
      token: `${SECRET_MARK}-token`,
      headers: [`X-Key: ${SECRET_MARK}-header`],
      challengeSecret: `${SECRET_MARK}-crc`,
    },
    slack: { token: `xoxb-${SECRET_MARK}`, channel: '#ops', apiUrl: `${base}/api` },
    pagerduty: { routingKey: `${SECRET_MARK}0123456789abcdef`.slice(0, 32), apiUrl: base },
    discord: { webhookUrl: `${base}/api/webhooks/1001/${SECRET_MARK}discordtoken` },
    opsgenie: { apiKey: '5ec2e75e-0000-4000-8000-5ec2e75e5ec2', apiUrl: base },
    mattermost: { webhookUrl: `${base}/hooks/${SECRET_MARK.toLowerCase()}mattermost` },
    rocketchat: { webhookUrl: `${base}/hooks/int1/${SECRET_MARK}rocket` },
    alertmanager: { url: base, auth: 'basic', user: 'am', password: `${SECRET_MARK}-password` },
    ntfy: { serverUrl: base, topic: 'disk-alerts', auth: 'token', token: `tk_${SECRET_MARK}ntfy` },
    telegram: { token: `7123456789:${SECRET_MARK}-telegram_tok`, chatId: '-1001234567890', apiUrl: base },
    teams: {
      webhookUrl: `${base}/workflows/0f1e2d3c4b5a69788796a5b4c3d2e1f0/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=${SECRET_MARK}teamsSig`,
    },
    email: {
      host: new URL(base).hostname,
      port: new URL(base).port || '465',
      security: 'tls',
      user: 'alerts@example.com',
      password: `${SECRET_MARK}-smtp`,
      from: 'Headroom <alerts@example.com>',
      to: ['ops@example.com'],
    },
  };
}

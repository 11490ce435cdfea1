/**
 * Where each channel's rendered body carries the integration's link (`linkUrl`), as the vendor
 * makes it a link: channel-contract.test.ts checks every channel names its place here.
 */
export const LINK_PLACES: Record<string, (body: never) => unknown[]> = {
  webhook: (b: { alarm_url: string; alert_url: string }) => [b.alarm_url, b.alert_url],
  pagerduty: (b: { client_url: string; links: { href: string }[] }) => [b.client_url, b.links[0]!.href],
  alertmanager: (b: { generatorURL: string }[]) => b.map((a) => a.generatorURL),
  discord: (b: { embeds: { url: string }[] }) => [b.embeds[0]!.url],
  mattermost: (b: { attachments: { title_link: string }[] }) => [b.attachments[0]!.title_link],
  rocketchat: (b: { attachments: { title_link: string }[] }) => [b.attachments[0]!.title_link],
  opsgenie: (b: { details: { link: string } }) => [b.details.link],
  ntfy: (b: { click: string }) => [b.click],
  // The address itself on the last line (HTML, & as an entity), which Telegram links.
  telegram: (b: { text: string }) => [b.text.split('\n').at(-1)!.replace(/&amp;/g, '&')],
  teams: (b: { attachments: { content: { actions: { url: string }[] } }[] }) => [
    b.attachments[0]!.content.actions[0]!.url,
  ],
  email: (b: { text: string; html: string }) => [
    /^https:\S+$/m.exec(b.text)?.[0], // the text part's link line
    /href="([^"]+)"/.exec(b.html)?.[1]?.replace(/&amp;/g, '&'), // the HTML heading's link
  ],
  // mrkdwn's <url|text>, & as an entity inside it.
  slack: (b: { blocks: { elements?: { text: string }[] }[] }) => [
    b.blocks[2]!.elements![1]!.text.replace(/^<([^|]+)\|grafana\.example\.com>$/, '$1').replace(
      /&amp;/g,
      '&',
    ),
  ],
};

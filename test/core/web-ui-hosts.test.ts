import assert from 'node:assert/strict';
import { describe, it } from '../helpers/node-test.js';
import { fqdnFromHosts, hostPolicy, parseUiHost, type Machine } from '../../core/web-ui-hosts.js';

const HOSTS = `# written by the installer
127.0.0.1\tlocalhost
127.0.1.1\tnas.example.org nas   # the Debian way
::1     localhost ip6-localhost
`;

function machine(addresses = ['127.0.0.1', '192.0.2.2', '[::1]', '[fd00::2]']): Machine {
  return { names: ['nas', 'nas.example.org'], addresses: () => addresses };
}

const remote = (o: Partial<Parameters<typeof hostPolicy>[0]> = {}) =>
  hostPolicy({ listenHost: '0.0.0.0', port: 8484, allowRemote: true, uiHosts: [], machine: machine(), ...o });

describe('which names the web UI answers to, and the one it prints', () => {
  it('finds the fully qualified name as `hostname -f` does: first on the line that lists the host name', () => {
    assert.equal(fqdnFromHosts(HOSTS, 'nas'), 'nas.example.org');
    assert.equal(fqdnFromHosts('127.0.1.1 nas\n', 'nas'), undefined);
    assert.equal(fqdnFromHosts('# 127.0.1.1 nas.example.org nas\n', 'nas'), undefined);
  });

  it('prints the fully qualified name for a wildcard address, the address itself otherwise, a --ui-host first', () => {
    assert.equal(remote().base, 'http://nas.example.org:8484');
    assert.equal(remote({ listenHost: '::' }).base, 'http://nas.example.org:8484');
    assert.equal(remote({ listenHost: '192.0.2.2' }).base, 'http://192.0.2.2:8484');
    assert.equal(
      remote({ uiHosts: [parseUiHost('https://Disks.Example.com')] }).base,
      'https://disks.example.com',
    );
    assert.equal(remote({ uiHosts: [parseUiHost('nas.lan')] }).base, 'http://nas.lan:8484');
    assert.equal(remote({ uiHosts: [parseUiHost('nas.lan:9000')] }).base, 'http://nas.lan:9000');
    assert.equal(remote({ listenHost: '::1', allowRemote: false }).base, 'http://[::1]:8484');
  });

  it('takes a name however a browser or a proxy spells it: case, trailing dot, IPv6 forms, no port on 80', () => {
    const p = remote();
    for (const host of ['NAS:8484', 'nas.example.org.:8484', '[FD00:0:0::2]:8484', '[::1]:8484'])
      assert.ok(p.answersHost(host), host);
    assert.ok(!p.answersHost('nas'), 'no port: port 80, where the UI is not');
    assert.ok(remote({ port: 80 }).answersHost('nas'));
    assert.ok(remote({ port: 80 }).answersOrigin('http://nas'));
  });

  it('answers to an address this machine gained after start, on the UI port only', () => {
    const addresses = ['127.0.0.1'];
    const p = remote({ machine: machine(addresses) });
    assert.ok(!p.answersHost('198.51.100.4:8484'));
    addresses.push('198.51.100.4');
    assert.ok(p.answersHost('198.51.100.4:8484'));
    assert.ok(!p.answersHost('198.51.100.4:8485'));
  });

  it('refuses what is not a Host or an Origin at all', () => {
    const p = remote();
    for (const host of [undefined, '', 'nas:8484/x', 'user@nas:8484', 'nas:8484:1', '[nas]:8484', 'nas:0'])
      assert.ok(!p.answersHost(host), String(host));
    for (const origin of ['http://nas:8484/', 'http://user@nas:8484', 'ws://nas:8484', 'null'])
      assert.ok(!p.answersOrigin(origin), origin);
  });

  it('takes a Host as reached over https only when a --ui-host names it with https://', () => {
    const p = remote({
      uiHosts: ['https://disks.example.com', 'http://plain.example.com', 'nas.lan'].map(parseUiHost),
    });
    for (const host of ['disks.example.com', 'DISKS.example.com.', 'disks.example.com:443'])
      assert.ok(p.overHttps(host), host);
    for (const host of ['disks.example.com:8484', 'plain.example.com', 'nas.lan', 'nas.lan:443', undefined])
      assert.ok(!p.overHttps(host), String(host));
  });
});

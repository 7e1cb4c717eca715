/**
 * Files only their owner may use: every file and folder Custody creates (ledgers and their SQLite side files, drafts,
 * witness state, bundles, evidence, reports, labels, key and passphrase files) is made owner-only at creation, and
 * secrets (key and passphrase files, bearer tokens) are refused when other users may read or change them, as ssh
 * refuses such a private key. On a file system without POSIX permissions (Windows) new files inherit their folder's
 * access rules and nothing is refused.
 */
package org.custody.files;

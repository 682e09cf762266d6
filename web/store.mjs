// What the page keeps across reloads and network loss, in IndexedDB: the last
// contract the server sent (so the page opens offline), the draft (as the
// session's actions against that contract) and the outbox (changesets saved
// while offline, each with the idempotency key it was given once, at save).
// It also keeps the engine's last View of each contract and role (a cache:
// describing a thousand milestones is the costliest step of opening a page).
// Keys are `${contractId}|${role}`: a client's and a freelancer's drafts of
// one contract are different drafts.

const DB_NAME = 'milestone-editor';
const DB_VERSION = 2;
const STORES = ['contracts', 'drafts', 'outbox', 'views'];

let dbPromise = null;

function open() {
  if (dbPromise === null) {
    dbPromise = new Promise((resolve, reject) => {
      const request = indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => {
        for (const name of STORES) {
          if (!request.result.objectStoreNames.contains(name)) {
            request.result.createObjectStore(name);
          }
        }
      };
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    dbPromise.catch(() => {
      dbPromise = null;
    });
  }
  return dbPromise;
}

async function run(storeName, mode, operate) {
  const db = await open();
  return new Promise((resolve, reject) => {
    const tx = db.transaction(storeName, mode);
    const request = operate(tx.objectStore(storeName));
    // Resolve on commit, not on the request: a write is only kept once the
    // transaction is durable.
    tx.oncomplete = () => resolve(request ? request.result : undefined);
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

export const keyOf = (contractId, role) => `${contractId}|${role}`;

export const get = (store, key) => run(store, 'readonly', (s) => s.get(key));
export const put = (store, key, value) => run(store, 'readwrite', (s) => s.put(value, key));
export const remove = (store, key) => run(store, 'readwrite', (s) => s.delete(key));

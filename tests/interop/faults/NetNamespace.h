// A private network namespace for the fault tests: the calling thread (and the
// processes it starts from then on: nginx, trackers, peers, tributary-cli)
// gets a loopback of its own, so the test can take it down and up again
// without touching the machine's network or the other tests running beside it.
// Needs CAP_SYS_ADMIN (root); a test QSKIPs with the reason when it is refused.
#pragma once

#include <QString>

namespace tributary::test {

// Moves the calling thread into a new network namespace and brings its
// loopback up. Call it from the test's main thread before starting anything.
// Empty on success; else why not (e.g. "unshare(CLONE_NEWNET): Operation not permitted").
QString enterPrivateNetwork();

// Brings the namespace's loopback up or down: with it down, connects and
// in-flight segments on 127.0.0.1 are lost (no error, as when a cable is
// pulled) until it comes back. Empty on success; else why not.
QString setLoopbackUp(bool up);

}  // namespace tributary::test

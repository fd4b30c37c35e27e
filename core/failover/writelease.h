#pragma once

#include <algorithm>

namespace ferry::writelease {

// The write lease of a primary table (DESIGN.md "Trust" 3): the primary's database takes
// application writes only until LEASE ms after the primary sent a request its replica
// acknowledged. Every request the replica acknowledged was received there, at or after it
// was sent, so the lease lapses at the latest LEASE ms after the replica last heard from
// the primary: the replica promotes itself only once that much time (and the margin) has
// passed. The lease is shorter than the failover timeout, so an automatic failover never
// waits for it; only a forced failover asked soon after the primary vanished does.
constexpr int leaseMs(int failoverTimeoutMs)
{
    return std::max(100, failoverTimeoutMs - std::max(250, failoverTimeoutMs / 4));
}

// What the replica adds to the lease before it promotes itself: the clocks of two machines
// may run at slightly different rates, and a node reads its clock a little late.
constexpr int marginMs(int leaseMs)
{
    return 50 + leaseMs / 50;
}

} // namespace ferry::writelease

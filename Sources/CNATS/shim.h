#ifndef CNATS_SHIM_H
#define CNATS_SHIM_H

// The NATS C client (Debian's libnats-dev), for joining a cluster of gateways (--cluster). Only the
// GatewayCluster target imports this module.
#include <nats/nats.h>

#endif

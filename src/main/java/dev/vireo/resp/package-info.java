/**
 * RESP2/RESP3 framing. {@link dev.vireo.resp.RespReader} turns received bytes into commands whose arguments are
 * slices of its own buffer (no copy until a value enters the store); {@link dev.vireo.resp.RespWriter}
 * encodes replies for one connection. Both are confined to the connection's event loop (the data loop).
 */
package dev.vireo.resp;

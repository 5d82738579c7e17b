/* The generator's ceiling on the MCP side: answers each JSON-RPC request line at once with a canned
 * tools/call result carrying the same id, so the figures show what the generator and the pipes allow.
 * Build: cc -O2 -o stdio_responder stdio_responder.c */
#include <stdio.h>
#include <string.h>

int main(void) {
    static char line[1 << 20];
    setvbuf(stdout, NULL, _IOFBF, 1 << 16);
    while (fgets(line, sizeof line, stdin)) {
        char *id = strstr(line, "\"id\":");
        if (!id || !strstr(line, "\"method\"")) continue;
        id += 5;
        size_t length = strcspn(id, ",}");
        printf("{\"jsonrpc\":\"2.0\",\"id\":%.*s,\"result\":{\"content\":[{\"type\":\"text\",\"text\":\"{}\"}],\"isError\":false}}\n",
               (int)length, id);
        fflush(stdout);
    }
    return 0;
}

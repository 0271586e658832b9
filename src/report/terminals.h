/* terminals.h (report): two-terminal mode's presence events and the
 * terminal of every signature, in the Markdown/HTML walk and the JSON
 * report; nothing when the journal names no terminal. */
#ifndef CK_REPORT_TERMINALS_H
#define CK_REPORT_TERMINALS_H

#include "report/fmt.h"

#include <cjson/cJSON.h>

bool report_has_terminals(const struct report_model *m);
void rw_presence(const struct report_fmt *f, const struct report_model *m, struct buf *o);
void report_json_presence(const struct report_model *m, cJSON *root);

#endif

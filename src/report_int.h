/* report_int.h: reading the report model, for the renderers. */
#ifndef CK_REPORT_INT_H
#define CK_REPORT_INT_H

#include <cjson/cJSON.h>
#include <stdbool.h>

static inline const cJSON *rm_get(const cJSON *o, const char *k)
{
	return cJSON_GetObjectItemCaseSensitive(o, k);
}
/* A string member, or NULL (absent or null). */
static inline const char *rm_str(const cJSON *o, const char *k)
{
	const cJSON *v = rm_get(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}
/* A non-empty string member. */
static inline bool rm_len_str(const cJSON *o, const char *k)
{
	const char *v = rm_str(o, k);
	return v && v[0];
}
static inline long rm_num(const cJSON *o, const char *k)
{
	const cJSON *v = rm_get(o, k);
	return cJSON_IsNumber(v) ? (long)v->valuedouble : 0;
}
static inline bool rm_bool(const cJSON *o, const char *k)
{
	return cJSON_IsTrue(rm_get(o, k));
}
static inline int rm_len(const cJSON *o, const char *k)
{
	const cJSON *v = rm_get(o, k);
	return cJSON_IsArray(v) ? cJSON_GetArraySize(v) : 0;
}

/* Human words for the model's step states. */
static inline const char *rm_state_words(const char *state)
{
	static const struct { const char *k, *v; } w[] = {
		{ "pending", "pending (plan not verified)" }, { "ready", "not done" },
		{ "blocked", "blocked by a prerequisite" }, { "waiting-witness", "waiting for witness" },
		{ "waiting-time", "waiting until a time" }, { "waiting-event", "waiting for an outside event" },
		{ "done", "done" }, { "skipped", "skipped" }, { "failed", "check failed" },
	};
	for (unsigned i = 0; i < sizeof w / sizeof w[0]; i++)
		if (state && __builtin_strcmp(w[i].k, state) == 0)
			return w[i].v;
	return state ? state : "?";
}

#endif

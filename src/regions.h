/* regions.h: the Azure regions a plan may name, as data (regions.c): display
 * name, geography, the Microsoft 365 geo it serves, and its paired region. */
#ifndef CK_REGIONS_H
#define CK_REGIONS_H

#include <stdbool.h>

struct region {
	const char *name;     /* ARM location name, e.g. eastus2 */
	const char *display;  /* e.g. East US 2 */
	const char *geography;/* e.g. United States */
	const char *m365;     /* Microsoft 365 geo of its own (NAM, FRA, ...) or NULL */
	const char *area;     /* the wider Microsoft 365 geo it also serves: NAM, EUR, APC, LAM, MEA */
	const char *pair;     /* paired region, or NULL */
	bool one_way;         /* the pair does not pair back (e.g. brazilsouth) */
};

extern const struct region regions_table[];
extern const unsigned regions_n;
/* Where the table comes from, and when it was taken. */
extern const char regions_source[];

const struct region *regions_find(const char *name);
/* A close known region name for "did you mean", or NULL. */
const char *regions_suggest(const char *name);
/* 1 if a and b are a region pair in either direction. */
int regions_paired(const char *a, const char *b);
/* 1 if the region keeps data inside the Microsoft 365 geo (own geo or area). */
int regions_serves(const struct region *r, const char *m365_geo);
/* 1 if code is a Microsoft 365 geo this table knows. */
int regions_m365_geo_known(const char *code);

#endif

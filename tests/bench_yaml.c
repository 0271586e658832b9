/* bench_yaml.c FILE: the floor for `check` and `show` in `make bench`: a
 * process that only reads FILE and lets libyaml parse it into events, with
 * nothing built, checked or printed. Exit 0 when the file parsed. */
#include <stdio.h>
#include <yaml.h>

int main(int argc, char **argv)
{
	if (argc != 2)
		return 2;
	FILE *f = fopen(argv[1], "rb");
	if (!f)
		return 2;
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return 2;
	yaml_parser_set_input_file(&p, f);
	int ok = 1, done = 0;
	while (!done) {
		yaml_event_t e;
		if (!yaml_parser_parse(&p, &e)) {
			ok = 0;
			break;
		}
		done = e.type == YAML_STREAM_END_EVENT;
		yaml_event_delete(&e);
	}
	yaml_parser_delete(&p);
	fclose(f);
	return ok ? 0 : 1;
}

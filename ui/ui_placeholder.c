/* ui_placeholder.c: keeps libckui.a non-empty until [wizard] lands. */
#include "ui.h"
int ui_placeholder(void) { return 0; }

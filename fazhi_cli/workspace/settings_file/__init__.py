"""The settings file, fazhi.toml: the one place where it is read, parsed, written and edited.

- `parse`: the file's text read (UTF-8 or GBK) and parsed into a `Campaign`; every message about a broken file.
- `default`: the settings and the commented fazhi.toml that `fazhi init` writes.
- `edit`: `fazhi config show|set`, which rewrite the file in place (tomlkit) and check each change with `parse`.

Why there are two settings modules: `fazhi_cli.domain.settings` is the pure table of the settings (each key, its
Chinese name, its meaning and how a typed value becomes its value), with no file in sight, so that the domain can
be tested and mutated alone; this package handles the file itself (bytes, TOML, comments and layout, atomic
rewrites). The parsed fazhi.toml is the `Campaign` that `parse.parse_campaign` returns, and nowhere else.
"""

from tradium_tui.cli import main

raise SystemExit(main())

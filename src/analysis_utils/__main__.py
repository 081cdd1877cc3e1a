from analysis_utils.cli import main

raise SystemExit(main())

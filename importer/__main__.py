from importer.cli.commands import main

main()

from console.bootstrap import main

main()

package dev.stratus.loadgen;
public class LoadgenCli { public static void main(String[] a) { System.out.println("hi"); } }

namespace PamGen;

// The whole oracle (every part of the partial class Pam) is checked by the stray-multiplication analyzer:
// it must compute PAM with integer operations on bit patterns only. The attribute sits in its own part so
// that the numeric files stay untouched.
[MultiplicationFree]
public static partial class Pam
{
}
